; Optimal cost 4 in 3 steps: mk x (3), mk blk (0), fix x (1; x is bad, so
; good is false and the conditional effect makes r k1 true: good holds).
; z is bad too but is no a, so good ignores it; y (a b) cannot be made p.
(define (problem either-p1) (:domain either)
 (:objects x - a y - b z - c blk - block u)
 (:init (s x k2) (s z k2) (= (cost x) 3) (= (cost blk) 0) (= (cost y) 1) (= (total-cost) 0))
 (:goal (and (good) (p blk) (p x)))
 (:metric minimize (total-cost)))
