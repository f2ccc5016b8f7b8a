; Optimal: 4 steps: inc 0 1, inc 1 2, inc 2 3, fin.
(define (problem numbers-p1) (:domain numbers)
 (:objects 0 1 2 - num)
 (:init (cur 0) (next 0 1) (next 1 2) (next 2 3))
 (:goal (and (done))))
