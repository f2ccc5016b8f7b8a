; Optimal: 4 steps: toggle-on master (the others need it on), toggle-on s1
; (lights l1; l2 is broken), toggle-on s2 (lights l3), toggle-off master.
; Swapping lights nothing, so it never helps.
(define (problem switches-p1) (:domain switches)
  (:objects s1 s2 - switch l1 l2 l3 - lamp)
  (:init (wired s1 l1) (wired s1 l2) (wired s2 l3) (broken l2))
  (:goal (and (not (on master))
              (forall (?l - lamp) (imply (not (broken ?l)) (lit ?l))))))
